<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>OpButtons</name>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Math</source>
        <translation>数学</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Run in console</source>
        <translation>在控制台中运行</translation>
    </message>
    <message>
        <source>A tensor from Python data</source>
        <translation>由 Python 数据创建张量</translation>
    </message>
    <message>
        <source>A tensor of zeros</source>
        <translation>全零张量</translation>
    </message>
    <message>
        <source>A tensor of ones</source>
        <translation>全一张量</translation>
    </message>
    <message>
        <source>Uniform random numbers in [0, 1)</source>
        <translation>[0, 1) 上的均匀随机数</translation>
    </message>
    <message>
        <source>Normal random numbers (mean 0, std 1)</source>
        <translation>正态随机数（均值 0，标准差 1）</translation>
    </message>
    <message>
        <source>Evenly spaced values with a step</source>
        <translation>按步长等间隔的值</translation>
    </message>
    <message>
        <source>A number of evenly spaced values</source>
        <translation>指定个数的等间隔值</translation>
    </message>
    <message>
        <source>An identity matrix</source>
        <translation>单位矩阵</translation>
    </message>
    <message>
        <source>A tensor sharing a NumPy array&apos;s memory</source>
        <translation>与 NumPy 数组共享内存的张量</translation>
    </message>
    <message>
        <source>A new tensor with the shape, dtype and device of another</source>
        <translation>与另一个张量形状、dtype 和设备相同的新张量</translation>
    </message>
    <message>
        <source>Same data, new shape (no copy; needs compatible strides)</source>
        <translation>同样的数据、新的形状（不复制；需要兼容的步长）</translation>
    </message>
    <message>
        <source>New shape; a view when possible, else a copy</source>
        <translation>新的形状；能用视图时是视图，否则复制</translation>
    </message>
    <message>
        <source>Swap two dimensions (a view)</source>
        <translation>交换两个维度（视图）</translation>
    </message>
    <message>
        <source>Reorder all dimensions (a view)</source>
        <translation>重新排列所有维度（视图）</translation>
    </message>
    <message>
        <source>Insert a dimension of size 1</source>
        <translation>插入一个大小为 1 的维度</translation>
    </message>
    <message>
        <source>Remove dimensions of size 1</source>
        <translation>去掉大小为 1 的维度</translation>
    </message>
    <message>
        <source>Index or slice (basic indexing gives a view)</source>
        <translation>索引或切片（基本索引得到视图）</translation>
    </message>
    <message>
        <source>Join tensors along an existing dimension</source>
        <translation>沿已有维度拼接张量</translation>
    </message>
    <message>
        <source>Join tensors along a new dimension</source>
        <translation>沿新维度堆叠张量</translation>
    </message>
    <message>
        <source>Element-wise sum (broadcasting)</source>
        <translation>逐元素求和（广播）</translation>
    </message>
    <message>
        <source>Element-wise product (broadcasting)</source>
        <translation>逐元素相乘（广播）</translation>
    </message>
    <message>
        <source>Matrix product</source>
        <translation>矩阵乘法</translation>
    </message>
    <message>
        <source>Matrix product, as a function</source>
        <translation>矩阵乘法（函数形式）</translation>
    </message>
    <message>
        <source>Sum, over all elements or along a dimension</source>
        <translation>求和：对所有元素或沿某个维度</translation>
    </message>
    <message>
        <source>Mean, over all elements or along a dimension</source>
        <translation>均值：对所有元素或沿某个维度</translation>
    </message>
    <message>
        <source>Add in place: every name sharing the memory changes too</source>
        <translation>原地相加：共享这块内存的所有名称都会一起改变</translation>
    </message>
    <message>
        <source>Copy to another device or dtype</source>
        <translation>复制到另一个设备或 dtype</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>（可选）</translation>
    </message>
    <message>
        <source>Arguments of {}</source>
        <translation>{} 的参数</translation>
    </message>
    <message>
        <source>Choose an op first.</source>
        <translation>请先选择一个操作。</translation>
    </message>
</context>
</TS>

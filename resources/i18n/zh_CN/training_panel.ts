<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train the CIFAR-10 classifier with live plots.</source>
        <translation>训练 CIFAR-10 分类器，实时显示曲线。</translation>
    </message>
</context>
</TS>
